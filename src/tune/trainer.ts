/** The one place tuning reaches the trainer: a trial is one call of trainModel. */
export { trainModel, type TrainModelEvent, type TrainReport } from '../pipeline/train-model.js';
